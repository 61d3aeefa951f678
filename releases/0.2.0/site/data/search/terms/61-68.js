NC.data("search/terms/61-68",{"ahead":[126,273]});
