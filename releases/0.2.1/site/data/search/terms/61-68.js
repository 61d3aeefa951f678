NC.data("search/terms/61-68",{"ahead":[125,277]});
