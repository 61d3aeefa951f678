NC.data("search/terms/65-78",{"expected":[30,276],"explained":[64,279],"expressed":[161,277]});
