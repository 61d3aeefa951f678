NC.data("search/terms/74-77",{"two":[30,107,273,277,278]});
